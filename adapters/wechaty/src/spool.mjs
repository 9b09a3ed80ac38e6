// The bridge's durable queue. Wechaty never delivers an event twice, so each normalized event is
// written to disk (file, fsync, rename, fsync of the folder) before it is posted, and removed
// only once ledgerbot acknowledged it. A restart posts what is left, under the same ids.
import { mkdir, open, readdir, readFile, rename, unlink } from 'node:fs/promises';
import { join } from 'node:path';

async function fsyncPath(path) {
  const handle = await open(path, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

export class Spool {
  constructor(directory) {
    this.directory = directory;
    this.dead = join(directory, 'dead');
    this.sequence = 0;
  }

  async init() {
    await mkdir(this.dead, { recursive: true });
    const names = await this.pending();
    for (const name of names) this.sequence = Math.max(this.sequence, Number.parseInt(name, 10) || 0);
  }

  /// Stores one item durably; resolves once it is on disk.
  async put(item) {
    this.sequence += 1;
    const name = `${String(this.sequence).padStart(12, '0')}.json`;
    const temporary = join(this.directory, `.${name}.tmp`);
    const handle = await open(temporary, 'w');
    try {
      await handle.writeFile(JSON.stringify(item));
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temporary, join(this.directory, name));
    await fsyncPath(this.directory);
    return name;
  }

  /// Names of the items waiting, oldest first.
  async pending() {
    const names = await readdir(this.directory);
    return names.filter((n) => /^\d{12}\.json$/.test(n)).sort();
  }

  async read(name) {
    return JSON.parse(await readFile(join(this.directory, name), 'utf8'));
  }

  async remove(name) {
    await unlink(join(this.directory, name));
  }

  /// An item ledgerbot refused for good: kept aside for an operator, not retried.
  async park(name) {
    await rename(join(this.directory, name), join(this.dead, name));
  }
}
