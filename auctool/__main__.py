from auctool.cli import main

main()
