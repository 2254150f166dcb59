// `npm test` runs this first: the project's scripts must run on Node 24 (the Lambda runtime),
// pinned through the `node` devDependency even where the system Node is older.
const major = Number(process.versions.node.split('.')[0]);
console.log(`Node ${process.version} (${process.platform}/${process.arch})`);
if (major !== 24) {
  console.error(
    `Expected Node 24 from the 'node' devDependency, got ${process.version}. Run 'npm ci' first.`,
  );
  process.exit(1);
}
