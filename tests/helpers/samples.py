"""Spec texts that several test modules run."""

#: one scenario whose claim fails, one whose given is refused
FAILING = """\
feature: failing
  scenario: stop keeps the address
    given a running instance "web"
    when "web" is stopped
    then "web" has a public ipv4
    and "web" is stopped

  scenario: too many addresses
    given the elastic ip limit is 1
    given 2 elastic ips
"""
