from promptterm.cli.main import main

raise SystemExit(main())
