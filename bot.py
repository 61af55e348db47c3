"""`python bot.py` runs the Discord bot, exactly like `debrief bot`."""

from app.cli import cli

if __name__ == "__main__":
    cli(["bot"])
