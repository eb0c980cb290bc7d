print("This project is here to show diagnostics; it is not meant to run.")
