"""The sandbox: the real bot and API against local emulators of Discord and Gemini.

`debrief sandbox` (and `make run` without a Discord token) starts the embedded database, the
Discord emulator and the Gemini stub in this process, the real bot and API as child processes
pointed at them, and a web console where a person runs slash commands and sees the replies.
"""
