// The session page renews the session at once; without scripts, its button does the same.
document.getElementById("resume").submit();
