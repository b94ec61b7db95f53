/** The anchor of Settings → Connections. */
export const CONNECTIONS_SECTION_ID = 'connections';

/** Where other pages send someone to connect or reconnect an account. */
export const CONNECTIONS_SETTINGS = `/settings#${CONNECTIONS_SECTION_ID}`;
