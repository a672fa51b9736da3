"""boto3 backends of scn: one adapter (``adapter``, ``errors``) shared by the ``moto`` backend
(``moto_backend``) and the ``aws`` backend (``aws_backend``, with ``tagging`` and ``sweep``).

Each backend is its own module registered in the ``scn`` entry-point group, so that a
plugin manager loads only what it names; this package imports neither boto3 nor moto.
"""
