"""How e-mail leaves the tracker: SMTP, GOV.UK Notify, or .eml files in the outbox (transports.py); the sender's
settings come from the app's configuration."""
