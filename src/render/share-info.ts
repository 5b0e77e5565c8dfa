import { payloadRenderer } from './payload.ts';

export const renderer = payloadRenderer('share-info', 'Share-Info');
