import type { ErrorEvent } from '@sentry/react';
import { describe, expect, it } from 'vitest';
import { scrubBreadcrumb, scrubEvent, scrubText, scrubUrl } from './scrub';

const JWT = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjMifQ.c2lnbmF0dXJlLXBhcnQtMTIzNDU2'; // pragma: allowlist secret
const REFRESH = 'Zm9vYmFyYmF6cXV4cXV1eGNvcmdlZ3JhdWx0Z2FycGx5'; // pragma: allowlist secret
const JOB_ID = '0193a000-0000-7000-8000-00000000b002';

describe('scrubText', () => {
  it('removes emails and tokens, and keeps record ids', () => {
    expect(scrubText(`ana.lima+kyros@example.co.uk could not load job ${JOB_ID}`)).toBe(
      `[email] could not load job ${JOB_ID}`,
    );
    expect(scrubText(`Authorization: Bearer ${JWT}`)).toBe('Authorization: Bearer [token]');
    expect(scrubText(`refresh ${REFRESH} and kyr_${REFRESH}`)).toBe('refresh [token] and [token]');
  });
});

describe('scrubUrl', () => {
  it('drops the query and fragment, where search words and OAuth codes travel', () => {
    expect(scrubUrl('http://localhost:3001/connections/callback?code=abc&state=def#x')).toBe(
      'http://localhost:3001/connections/callback',
    );
    expect(scrubUrl(`http://localhost:8000/jobs/${JOB_ID}`)).toBe(
      `http://localhost:8000/jobs/${JOB_ID}`,
    );
  });
});

describe('scrubBreadcrumb', () => {
  it('keeps navigation and API calls without their queries or bodies', () => {
    expect(
      scrubBreadcrumb({
        category: 'fetch',
        data: { method: 'GET', url: '/jobs?q=my+secret+launch', status_code: 500, body: 'x' },
      }),
    ).toEqual({
      category: 'fetch',
      message: undefined,
      data: { method: 'GET', url: '/jobs', status_code: 500 },
    });
  });

  it('drops console output, clicks and key presses, which can carry what was typed', () => {
    for (const category of ['console', 'ui.click', 'ui.input', undefined]) {
      expect(scrubBreadcrumb({ category, message: 'Our launch post' })).toBeNull();
    }
  });
});

describe('scrubEvent', () => {
  it('keeps what failed and where, without people, bodies, headers or extras', () => {
    const event: ErrorEvent = {
      type: undefined,
      message: 'Sign-in failed for ana@example.com',
      user: { email: 'ana@example.com', ip_address: '203.0.113.9' },
      request: {
        url: 'http://localhost:3001/jobs?q=launch',
        data: '{"content":"Our launch post","password":"hunter22"}', // pragma: allowlist secret
        headers: { Authorization: `Bearer ${JWT}`, 'User-Agent': 'Chromium' },
        cookies: { session: 'x' },
        query_string: 'q=launch',
      },
      exception: { values: [{ type: 'Error', value: `token ${JWT} refused` }] },
      extra: { content: 'Our launch post' },
      breadcrumbs: [
        { category: 'console', message: 'Our launch post' },
        { category: 'navigation', data: { from: '/login', to: '/studio?draft=1' } },
      ],
      tags: { request_id: JOB_ID, status: 500 },
    };
    const scrubbed = scrubEvent(event);
    expect(scrubbed).toEqual({
      type: undefined,
      message: 'Sign-in failed for [email]',
      user: undefined,
      request: { url: 'http://localhost:3001/jobs' },
      exception: { values: [{ type: 'Error', value: 'token [token] refused' }] },
      extra: undefined,
      breadcrumbs: [
        { category: 'navigation', message: undefined, data: { from: '/login', to: '/studio' } },
      ],
      tags: { request_id: JOB_ID, status: 500 },
    });
    const sent = JSON.stringify(scrubbed);
    for (const secret of ['ana@example.com', 'launch post', 'hunter22', JWT, '203.0.113.9']) {
      expect(sent).not.toContain(secret);
    }
  });
});
