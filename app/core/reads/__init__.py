"""The read layer: every query the bot's commands and the API's routes answer, with the access
rules applied, returning typed results. Adapters turn these into embeds or JSON; they do not
query the repositories or decide who may see what themselves.

- `matches`: find a match to see or to change, listings scoped to what the actor may see;
- `stats`: a player's summary and trend, a server's leaderboard (aggregations in MongoDB);
- `guilds`: a server's settings and the commands queued for the bot, for its admins;
- `options`: periods, modes, stats and /ask scopes with their labels, the single source of the
  Discord choices and the API enums.

The rules themselves are in `app.core.actors`, next to the `Actor` they judge, because the
command handlers apply the same ones to changes.
"""
