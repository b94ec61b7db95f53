/** Only a web address becomes a link: post URLs come from a network, through the API. */
export function isWebUrl(url: string): boolean {
  return /^https?:\/\//i.test(url);
}
