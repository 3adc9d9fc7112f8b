// JSON schemas of the request bodies; fastify validates every body against its route's schema
// (ajv) before a handler runs, so a handler sees only well-formed instances. Property names are
// snake_case as in run_classifier's InputExample (text_a, text_b) and TF Serving's REST API.
import { POOLINGS } from './served_model.js';

// Something besides white space: the library refuses blank texts, and a blank one inside a batch
// would fail the other requests batched with it, so it is refused here, per request.
const text = { type: 'string', minLength: 1, pattern: '\\S' } as const;

const pair = {
  type: 'object',
  required: ['text_a'],
  additionalProperties: false,
  properties: { text_a: text, text_b: text },
} as const;

function instancesOf(item: object, maxInstances: number) {
  return { type: 'array', minItems: 1, maxItems: maxInstances, items: item } as const;
}

/** POST /v1/classify and /v1/tokenize: {"instances": [{"text_a": "...", "text_b": "..."}]}. */
export function pairsBody(maxInstances: number) {
  return {
    type: 'object',
    required: ['instances'],
    additionalProperties: false,
    properties: { instances: instancesOf(pair, maxInstances) },
  } as const;
}

/** POST /v1/embed: {"instances": [{"text": "..."}], "pooling": "cls" | "mean" | "pooled"}. */
export function embedBody(maxInstances: number) {
  const single = {
    type: 'object',
    required: ['text'],
    additionalProperties: false,
    properties: { text },
  } as const;
  return {
    type: 'object',
    required: ['instances'],
    additionalProperties: false,
    properties: {
      instances: instancesOf(single, maxInstances),
      pooling: { type: 'string', enum: POOLINGS, default: 'cls' },
    },
  } as const;
}

/**
 * POST /v1/models/<name>:predict, TF Serving's row format: {"instances": [...]} where an
 * instance is a pair object or a bare string (text_a); signature_name is accepted.
 */
export function tfPredictBody(maxInstances: number) {
  const instance = { anyOf: [text, pair] } as const;
  return {
    type: 'object',
    required: ['instances'],
    additionalProperties: false,
    properties: {
      signature_name: { type: 'string' },
      instances: instancesOf(instance, maxInstances),
    },
  } as const;
}

export interface PairJson {
  readonly text_a: string;
  readonly text_b?: string;
}
export interface PairsRequest {
  readonly instances: readonly PairJson[];
}
export interface EmbedRequest {
  readonly instances: readonly { readonly text: string }[];
  readonly pooling: (typeof POOLINGS)[number];
}
export interface TfPredictRequest {
  readonly signature_name?: string;
  readonly instances: readonly (string | PairJson)[];
}
