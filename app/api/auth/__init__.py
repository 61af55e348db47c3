"""Who is calling the API: Discord login, access tokens, refresh tokens, CSRF."""
