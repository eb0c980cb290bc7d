/**
 * The two S3 requests artifact reading needs (ListObjectsV2 and GetObject), signed with AWS
 * Signature V4 by `aws4` and sent with Node's http/https so that bodies stream. Path-style
 * addressing for an endpoint override (MinIO), virtual-hosted for AWS. S3 errors (XML) become
 * MlflowErrors naming bucket and key, never the secret key.
 */
import * as http from 'node:http';
import * as https from 'node:https';
import type { Readable } from 'node:stream';
import { cancelledError, MlflowError } from '../types';
import type { S3Config } from './config';

export interface S3Listing {
  keys: { key: string; size: number }[];
  prefixes: string[];
  nextToken?: string;
}

const TIMEOUT_MS = 30_000;

function encodeKey(key: string): string {
  return key.split('/').map(encodeURIComponent).join('/');
}

function xmlText(s: string): string {
  return s
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&apos;/g, "'")
    .replace(/&#(\d+);/g, (_m, n: string) => String.fromCodePoint(Number(n)))
    .replace(/&#x([0-9a-f]+);/gi, (_m, n: string) => String.fromCodePoint(parseInt(n, 16)))
    .replace(/&amp;/g, '&');
}

function tag(xml: string, name: string): string | undefined {
  const m = new RegExp(`<${name}>([\\s\\S]*?)</${name}>`).exec(xml);
  return m ? xmlText(m[1]) : undefined;
}

function all(xml: string, name: string): string[] {
  return [...xml.matchAll(new RegExp(`<${name}>([\\s\\S]*?)</${name}>`, 'g'))].map((m) => m[1]);
}

export class S3Client {
  constructor(
    private readonly config: S3Config,
    /** Keys per listing page (S3's default is 1000); tests make it small to exercise paging. */
    private readonly maxKeys?: number,
  ) {}

  /** Where the bucket lives, for messages: the endpoint, or `s3.<region>.amazonaws.com`. */
  describe(bucket: string): string {
    return this.config.endpoint ? `${this.config.endpoint.origin}/${bucket}` : `s3://${bucket} (${this.config.region})`;
  }

  async list(bucket: string, prefix: string, token?: string, delimiter?: string, signal?: AbortSignal): Promise<S3Listing> {
    const query = new URLSearchParams({ 'list-type': '2', prefix });
    if (delimiter) query.set('delimiter', delimiter);
    if (token) query.set('continuation-token', token);
    if (this.maxKeys) query.set('max-keys', String(this.maxKeys));
    const res = await this.request(bucket, '', query, signal);
    const xml = await text(res.body);
    if (res.status !== 200) throw this.error(res.status, xml, bucket, prefix);
    return {
      keys: all(xml, 'Contents').map((c) => ({ key: tag(c, 'Key') ?? '', size: Number(tag(c, 'Size') ?? 0) })),
      prefixes: all(xml, 'CommonPrefixes').map((c) => tag(c, 'Prefix') ?? ''),
      nextToken: tag(xml, 'IsTruncated') === 'true' ? tag(xml, 'NextContinuationToken') : undefined,
    };
  }

  /** The object's body as a stream, with its length when the server gives it. */
  async get(bucket: string, key: string): Promise<{ body: Readable; length?: number }> {
    const res = await this.request(bucket, key);
    if (res.status !== 200) throw this.error(res.status, await text(res.body), bucket, key);
    return { body: res.body, length: res.length };
  }

  private request(bucket: string, key: string, query?: URLSearchParams, signal?: AbortSignal): Promise<{ status: number; body: Readable; length?: number }> {
    const { endpoint, region, credentials, ignoreTls } = this.config;
    if (!credentials) {
      throw new MlflowError(
        `No AWS credentials to read ${this.describe(bucket)}: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or AWS_PROFILE with ~/.aws/credentials.`,
        'PERMISSION_DENIED',
      );
    }
    const secure = endpoint ? endpoint.protocol === 'https:' : true;
    const host = endpoint ? endpoint.host : `${bucket}.s3.${region}.amazonaws.com`;
    const base = endpoint ? `${endpoint.pathname.replace(/\/+$/, '')}/${bucket}` : '';
    const path = `${base}/${encodeKey(key)}${query ? `?${query.toString().replace(/\+/g, '%20')}` : ''}`;
    const aws4 = require('aws4') as typeof import('aws4');
    const signed = aws4.sign({ host, path, method: 'GET', service: 's3', region, headers: {} }, credentials);
    const transport = secure ? https : http;
    return new Promise((resolve, reject) => {
      const req = transport.request(
        {
          host: endpoint ? endpoint.hostname : host,
          port: endpoint?.port || undefined,
          path,
          method: 'GET',
          headers: signed.headers as http.OutgoingHttpHeaders,
          rejectUnauthorized: !ignoreTls,
          timeout: TIMEOUT_MS,
          signal,
        },
        (res) => {
          const length = res.headers['content-length'] ? Number(res.headers['content-length']) : undefined;
          resolve({ status: res.statusCode ?? 0, body: res, length });
        },
      );
      req.on('timeout', () => req.destroy(new MlflowError(`${this.describe(bucket)} did not answer in ${TIMEOUT_MS / 1000} s.`, 'TEMPORARILY_UNAVAILABLE')));
      req.on('error', (e: NodeJS.ErrnoException) => {
        if (e instanceof MlflowError) return reject(e);
        if (signal?.aborted) return reject(cancelledError());
        const why = e.code === 'ECONNREFUSED' ? 'connection refused' : e.code === 'ENOTFOUND' ? `unknown host ${host}` : e.message;
        reject(new MlflowError(`Cannot reach S3 at ${this.describe(bucket)}: ${why}.`, 'TEMPORARILY_UNAVAILABLE'));
      });
      req.end();
    });
  }

  private error(status: number, xml: string, bucket: string, key: string): MlflowError {
    const code = tag(xml, 'Code') ?? `HTTP ${status}`;
    const message = tag(xml, 'Message');
    const detail = `${code}${message ? `: ${message}` : ''}`;
    if (code === 'NoSuchBucket') return new MlflowError(`No S3 bucket ${bucket} at ${this.describe(bucket)} (${detail}).`, 'RESOURCE_DOES_NOT_EXIST');
    if (code === 'NoSuchKey' || status === 404) return new MlflowError(`No artifact ${key} in ${this.describe(bucket)}.`, 'RESOURCE_DOES_NOT_EXIST');
    if (status === 403 || status === 401) {
      const source = this.config.credentialSource;
      return new MlflowError(`S3 refused access to ${this.describe(bucket)} with the credentials from ${source} (${detail}).`, 'PERMISSION_DENIED');
    }
    const errorCode = status >= 500 ? 'TEMPORARILY_UNAVAILABLE' : 'INTERNAL_ERROR';
    return new MlflowError(`S3 error reading ${key || bucket} at ${this.describe(bucket)}: ${detail}`, errorCode);
  }
}

async function text(body: Readable): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of body) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
