"""Who uses the assistant: accounts and roles, web logins, invites, the scope rule."""
