/**
 * The OAuth half of `/connections`, typed by hand until the generated client has it. These
 * types mirror the API's contract for `POST /connections/{network}/authorize` and
 * `POST /connections/callback`; once `npm run codegen` brings them into `schema.d.ts`, delete
 * this module and call `api` with the generated types.
 */
import type { Client } from 'openapi-fetch';
import { api } from '@/lib/api/client';
import type { Connection, Problem } from '@/lib/api/types';

/** The networks connected through the network's own consent page (Bluesky uses an app password). */
export type OAuthNetwork = 'x' | 'linkedin' | 'mastodon';

export type AuthorizeRequest = {
  /** The Mastodon instance the account lives on, e.g. `mastodon.social`; Mastodon only. */
  instance?: string;
};

/** Where to send the browser to approve the connection, and until when that link works. */
export type Authorization = { authorize_url: string; expires_at: string };

/** What the network's consent page sent back to `/connections/callback`. */
export type CallbackRequest = { state: string; code: string };

type Json<T> = { headers: { [name: string]: unknown }; content: { 'application/json': T } };
type Refusal = {
  headers: { [name: string]: unknown };
  content: { 'application/problem+json': Problem };
};
type NoParameters = { query?: never; header?: never; path?: never; cookie?: never };

type OAuthPaths = {
  '/connections/{network}/authorize': {
    parameters: { query?: never; header?: never; path: { network: OAuthNetwork }; cookie?: never };
    /** 409 when the network is not set up on this server; 422 on `instance`. */
    post: {
      parameters: {
        query?: never;
        header?: never;
        path: { network: OAuthNetwork };
        cookie?: never;
      };
      requestBody: { content: { 'application/json': AuthorizeRequest } };
      responses: { 200: Json<Authorization>; 409: Refusal; 422: Refusal };
    };
  };
  '/connections/callback': {
    parameters: NoParameters;
    /** 201 for a new account, 200 for one connected before; 404 or 422 for an unknown or
     * expired `state`. */
    post: {
      parameters: NoParameters;
      requestBody: { content: { 'application/json': CallbackRequest } };
      responses: { 200: Json<Connection>; 201: Json<Connection>; 404: Refusal; 422: Refusal };
    };
  };
};

/** The console's API client (same middleware: bearer token, refresh on 401) seen with these paths. */
export const oauthApi = api as unknown as Client<OAuthPaths>;
