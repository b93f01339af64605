from django.urls import path

from . import keys_views, views

urlpatterns = [
    path("accounts/keys/salt/", keys_views.salt, name="mutual_keys_salt"),
    path("accounts/keys/open/", keys_views.keys_open, name="mutual_keys_open"),
    path(
        "accounts/keys/common-passwords.txt",
        keys_views.common_passwords,
        name="mutual_common_passwords",
    ),
    path("accounts/security/", views.security, name="mutual_security"),
    path("accounts/security/log/", views.security_log, name="mutual_security_log"),
    path(
        "accounts/sessions/<uuid:device_id>/revoke/",
        views.session_revoke,
        name="mutual_session_revoke",
    ),
    path(
        "accounts/sessions/revoke-all/",
        views.sessions_revoke_all,
        name="mutual_sessions_revoke_all",
    ),
    path(
        "accounts/tokens/<uuid:token_id>/revoke/",
        views.token_revoke,
        name="mutual_token_revoke",
    ),
    path("accounts/idle-lock/", views.idle_lock_set, name="mutual_idle_lock"),
    path("accounts/country/", views.country_set, name="mutual_country"),
    path("accounts/confirm-again/", views.confirmation_resend, name="mutual_confirmation_resend"),
    path("accounts/language/", views.language_set, name="mutual_language"),
    path("accounts/time-zone/", views.time_zone_set, name="mutual_time_zone"),
    # Ways in Mutual does not offer: before allauth's own routes (config/urls.py).
    path("accounts/password/set/", views.not_in_mutual, name="account_set_password"),
    path("accounts/login/code/confirm/", views.not_in_mutual, name="account_confirm_login_code"),
    path("exit/", views.quick_exit, name="quick_exit"),
    path("lock/", views.lock, name="idle_lock"),
]
