"""The second factor: a code from an authenticator app (TOTP) after the password, with ten
one-time recovery codes for a lost phone. Built on django-otp's TOTP and static devices
(``django_otp.plugins.otp_totp``, ``otp_static``); nothing here computes a code itself.

``policy`` says who must have one, ``services`` enrols, checks and resets, ``middleware``
sends a half-logged-in user to the right step, ``views`` are the two pages.
"""
