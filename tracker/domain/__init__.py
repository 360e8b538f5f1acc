"""The domain layer: every rule of the tracker, written once, in plain Python and SQLAlchemy. No Flask here.

Each function takes the database session (and, where it acts, the acting user) as arguments. Views, the API,
imports, commands and the demo loader call it and hold no rule of their own. One module per part of the domain:

- vocab: the words of the domain (sectors, seats, kinds, statuses, financial years);
- plans: a plan's figures and their rules, the years with plans, starting next year's plan, year on year;
- engagement: recording events and participations, and who confirms what;
- concerns: the lifecycle, what each side owes and when;
- assessments: providers' impact assessments;
- membership: board membership, its rules and its statistics;
- reviews: assurance reviews, the override rule and peer matching;
- evidence: PRODUCT.md's figures, criteria and rating;
- summaries: the per-plan, per-provider summaries the figures read, kept true and checked;
- comparisons: a board's figures beside the region's and the country's, and the acute providers' views;
- accounts, passwords: people, their roles, tokens and sign-in;
- audit: the append-only trail;
- working_days: due dates in working days (Monday to Friday except England's bank holidays); clock: today's date
  in Europe/London; text, formatting: shared checks and how figures are written.
"""
