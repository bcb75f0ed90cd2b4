// mfbench executable entry point (filled in by its issue).
print("mfbench")
