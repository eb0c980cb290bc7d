/**
 * The committed state of an SQLite database file that a writer is changing in rollback-journal
 * mode (MLflow's default). Before a writer changes a page in the file, it saves the page's
 * committed content in `<db>-journal` and syncs it; the commit is the journal's deletion. A copy
 * of the file taken while a journal is there may hold uncommitted pages (runs shown KILLED and
 * renamed, then rolled back) or a torn mix ("database disk image is malformed"). Playing the
 * journal back over the copy, as SQLite itself does for a hot journal, gives the committed state.
 * Format: https://www.sqlite.org/fileformat.html#the_rollback_journal
 */

const MAGIC = Buffer.from([0xd9, 0xd5, 0x05, 0xf9, 0x20, 0xa1, 0x63, 0xd7]);

/** The database header's page size (offset 16, big-endian; 1 means 65536). */
function databasePageSize(db: Uint8Array): number {
  if (db.length < 100) return 0;
  const n = (db[16] << 8) | db[17];
  return n === 1 ? 65536 : n;
}

/** Whether the journal holds a transaction to roll back (not empty, not zeroed by a commit). */
export function isHotJournal(journal: Uint8Array): boolean {
  return journal.length >= 28 && Buffer.from(journal.buffer, journal.byteOffset, 8).equals(MAGIC);
}

/**
 * `db` with the journal's saved pages written back and truncated to its size before the
 * transaction: the committed state. A record whose checksum does not match ends the playback
 * (the writer had not finished writing it, so that page in the file was not changed yet).
 */
export function rollBack(db: Buffer, journal: Buffer): Buffer {
  let out: Buffer = Buffer.from(db);
  let originalPages: number | undefined;
  let offset = 0;
  const pageSizeOfDb = databasePageSize(db);
  while (offset + 28 <= journal.length && journal.subarray(offset, offset + 8).equals(MAGIC)) {
    let records = journal.readUInt32BE(offset + 8);
    const nonce = journal.readUInt32BE(offset + 12);
    const pages = journal.readUInt32BE(offset + 16);
    const sectorSize = journal.readUInt32BE(offset + 20) || 512;
    const pageSize = journal.readUInt32BE(offset + 24) || pageSizeOfDb;
    if (pageSize < 512 || pageSize > 65536) break;
    originalPages ??= pages;
    offset += sectorSize;
    const recordSize = 4 + pageSize + 4;
    // 0xffffffff: written without syncs, so the count is what the file holds.
    if (records === 0xffffffff) records = Math.floor((journal.length - offset) / recordSize);
    for (let i = 0; i < records && offset + recordSize <= journal.length; i++, offset += recordSize) {
      const pgno = journal.readUInt32BE(offset);
      const page = journal.subarray(offset + 4, offset + 4 + pageSize);
      let sum = nonce;
      for (let k = pageSize - 200; k > 0; k -= 200) sum = (sum + page[k]) >>> 0;
      if (sum !== journal.readUInt32BE(offset + 4 + pageSize) || pgno === 0) return truncated(out, originalPages, pageSize);
      const at = (pgno - 1) * pageSize;
      if (at + pageSize > out.length) {
        const grown = Buffer.alloc(at + pageSize);
        out.copy(grown);
        out = grown;
      }
      page.copy(out, at);
    }
    // The next segment (a cache spill syncs and starts one) begins at a sector boundary.
    offset = Math.ceil(offset / sectorSize) * sectorSize;
    if (originalPages !== undefined && pageSize) out = truncated(out, originalPages, pageSize);
  }
  return out;
}

function truncated(db: Buffer, pages: number | undefined, pageSize: number): Buffer {
  if (!pages || !pageSize) return db;
  const size = pages * pageSize;
  return size < db.length ? db.subarray(0, size) : db;
}
