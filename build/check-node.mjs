// Plain JavaScript on purpose: it must run, and explain, on a Node.js too old for the rest.
const [major, minor] = process.versions.node.split('.').map(Number);
if (major < 22 || (major === 22 && minor < 18)) {
  console.error(
    `Practice Digital needs Node.js 22.18 or later (24 LTS recommended); this is ${process.version}.\n` +
      'Install Node 24, for example: npm install -g --prefix "$HOME/.node24" node@24\n' +
      'then put it first on your PATH: export PATH="$HOME/.node24/bin:$PATH"',
  );
  process.exit(1);
}
