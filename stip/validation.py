"""Small input rules shared by the class-list import and the forms (one rule, one place)."""

import re

# A plausible e-mail address: something@domain.tld (no spaces, a top-level domain of letters).
EMAIL = re.compile(r"[\w.!#$%&'*+/=?^`{|}~-]+@(?:[\w-]+\.)+[^\W\d_]{2,}")
