import { payloadRenderer } from './payload.ts';

export const renderer = payloadRenderer('shipturtle', 'Shipturtle');
