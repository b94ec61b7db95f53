/** The release error reports name: `VITE_SENTRY_RELEASE`, or the console's package version
 * (set by vite.config.ts). */
declare const __KYROS_RELEASE__: string;
