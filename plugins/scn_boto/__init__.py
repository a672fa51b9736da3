"""boto3 backends of scn: one adapter (``adapter``, ``errors``) shared by the ``moto`` backend
(``moto_backend``) and, later, the ``aws`` backend.

Each backend is its own module registered in the ``scn`` entry-point group, so that a
plugin manager loads only what it names; this package imports neither boto3 nor moto.
"""
