"""How Debrief looks in Discord: embeds, buttons, modals. No business logic here."""
