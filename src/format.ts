/**
 * Fills `{{name}}` placeholders of a message template (rules, checks). An unknown name stays
 * visible rather than vanishing, so a missing datum shows up in review instead of as a gap.
 */
export function formatMessage(template: string, data: Record<string, string | number> | undefined): string {
  return template.replace(/\{\{\s*(\w+)\s*\}\}/g, (m, k: string) => (data && k in data ? String(data[k]) : m));
}
