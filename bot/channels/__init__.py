"""The channels: each translates its platform to the conversation core and back."""
