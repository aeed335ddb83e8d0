import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

// Kept apart from temporal.ts so workflow code can import it without pulling in the client.
export const ForgeTenant = defineSearchAttributeKey('ForgeTenant', SearchAttributeType.KEYWORD);
export const ForgeConnector = defineSearchAttributeKey('ForgeConnector', SearchAttributeType.KEYWORD);
export const ForgeObject = defineSearchAttributeKey('ForgeObject', SearchAttributeType.KEYWORD);
export const ForgeLoadStatus = defineSearchAttributeKey('ForgeLoadStatus', SearchAttributeType.KEYWORD);

export const SEARCH_ATTRIBUTE_NAMES = [ForgeTenant, ForgeConnector, ForgeObject, ForgeLoadStatus].map((k) => k.name);
