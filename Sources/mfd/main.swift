// mfd executable entry point (filled in by its issue).
print("mfd")
