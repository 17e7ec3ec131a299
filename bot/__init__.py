"""The Telegram side of storywatch: command handlers, alert rendering, delivery and the CLI."""
