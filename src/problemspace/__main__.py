from problemspace.cli.main import main

raise SystemExit(main())
