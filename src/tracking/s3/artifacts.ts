/**
 * Artifacts stored at `s3://bucket/prefix` (a database store's usual artifact root, or a server
 * started with --no-serve-artifacts), listed and read like MLflow's S3ArtifactRepository: one
 * folder at a time, sorted, sizes for files only; every page of a listing followed.
 *
 * A folder is listed from its keys (no delimiter) while that takes a few pages: this finds
 * sub-folders that hold only deeper folders even on S3-compatible servers whose delimiter
 * listings omit them (s3rver); a folder with more keys than that is listed with the delimiter,
 * as MLflow does, so that huge folders stay cheap.
 */
import type { FileInfo } from '../types';
import { MlflowError } from '../types';
import type { ArtifactReader } from '../artifactReaders';
import { S3Client } from './client';
import { resolveS3Config, type S3Config } from './config';

const UNDELIMITED_PAGES = 5;

export function parseS3Uri(uri: string): { bucket: string; prefix: string } {
  const m = /^s3a?:\/\/([^/]+)\/?(.*)$/i.exec(uri);
  if (!m) throw new MlflowError(`Not an S3 URI: ${uri}`, 'INVALID_PARAMETER_VALUE');
  return { bucket: m[1], prefix: m[2].replace(/\/+$/, '') };
}

export class S3ArtifactReader implements ArtifactReader {
  private readonly client: S3Client;

  constructor(config: S3Config = resolveS3Config(), options: { maxKeys?: number } = {}) {
    this.client = new S3Client(config, options.maxKeys);
  }

  async list(uri: string, path: string, signal?: AbortSignal): Promise<FileInfo[]> {
    const { bucket, prefix } = parseS3Uri(uri);
    const dir = [prefix, path].filter(Boolean).join('/');
    const listPrefix = dir ? `${dir}/` : '';
    const files = new Map<string, number>();
    const folders = new Set<string>();
    let token: string | undefined;
    let pages = 0;
    do {
      const page = await this.client.list(bucket, listPrefix, token, undefined, signal);
      for (const { key, size } of page.keys) {
        const rest = key.slice(listPrefix.length);
        if (rest === '') continue;
        const slash = rest.indexOf('/');
        if (slash < 0) files.set(rest, size);
        else folders.add(rest.slice(0, slash));
      }
      token = page.nextToken;
    } while (token && ++pages < UNDELIMITED_PAGES);
    if (token) {
      files.clear();
      folders.clear();
      token = undefined;
      do {
        const page = await this.client.list(bucket, listPrefix, token, '/', signal);
        for (const { key, size } of page.keys) if (key !== listPrefix) files.set(key.slice(listPrefix.length), size);
        for (const p of page.prefixes) folders.add(p.slice(listPrefix.length).replace(/\/$/, ''));
        token = page.nextToken;
      } while (token);
    }
    const rel = (name: string) => (path ? `${path}/${name}` : name);
    const out: FileInfo[] = [
      ...[...folders].filter((f) => f !== '').map((f) => ({ path: rel(f), is_dir: true })),
      ...[...files].map(([f, size]) => ({ path: rel(f), is_dir: false, file_size: size })),
    ];
    return out.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  }

  /** Reads an object in full, streaming it into one buffer of its announced length. */
  async read(uri: string, path: string, what: string): Promise<Uint8Array> {
    if (!path) throw new MlflowError(`No artifact ${path} for ${what}`, 'RESOURCE_DOES_NOT_EXIST');
    const { bucket, prefix } = parseS3Uri(uri);
    const key = [prefix, path].filter(Boolean).join('/');
    let object;
    try {
      object = await this.client.get(bucket, key);
    } catch (e) {
      if (e instanceof MlflowError && e.error_code === 'RESOURCE_DOES_NOT_EXIST' && !/bucket/.test(e.message)) {
        const inside = await this.list(uri, path).catch(() => []);
        if (inside.length > 0) throw new MlflowError(`${path} is a folder, not a file`, 'INVALID_PARAMETER_VALUE');
        throw new MlflowError(`No artifact ${path} for ${what}`, 'RESOURCE_DOES_NOT_EXIST');
      }
      throw e;
    }
    if (object.length !== undefined) {
      const out = new Uint8Array(object.length);
      let at = 0;
      for await (const chunk of object.body) {
        const bytes = chunk as Buffer;
        if (at + bytes.length > out.length) throw new MlflowError(`${path} changed while it was read`, 'IO_ERROR');
        out.set(bytes, at);
        at += bytes.length;
      }
      if (at !== out.length) throw new MlflowError(`${path} was cut short (${at} of ${out.length} bytes)`, 'IO_ERROR');
      return out;
    }
    const chunks: Buffer[] = [];
    for await (const chunk of object.body) chunks.push(chunk as Buffer);
    return new Uint8Array(Buffer.concat(chunks));
  }
}
