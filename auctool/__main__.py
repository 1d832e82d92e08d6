from auctool.cli import main

if __name__ == "__main__":  # guarded: portfolio workers (spawn) re-import this module
    main()
