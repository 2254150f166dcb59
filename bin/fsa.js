#!/usr/bin/env node
// Entry point of the `fsa` command-line tool. The CLI is TypeScript run by Node 24's built-in
// type stripping (the project pins Node 24 through its `node` devDependency).
import './fsa-cli.ts';
