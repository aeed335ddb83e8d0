import type { JsonSchema } from './types';

export type FormValues = Record<string, string | boolean>;

/** "clientSecret" → "Client secret", "baseUrl" → "Base URL". */
export function humanize(name: string): string {
  const words = name.replace(/([a-z0-9])([A-Z])/g, '$1 $2').replace(/[_-]+/g, ' ').toLowerCase().split(' ');
  const fixed = words.map((w) => ({ url: 'URL', id: 'ID', api: 'API', uri: 'URI' } as Record<string, string>)[w] ?? w);
  const text = fixed.join(' ');
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function typeOf(schema: JsonSchema): string {
  return Array.isArray(schema.type) ? schema.type.find((t) => t !== 'null') ?? 'string' : schema.type ?? 'string';
}

function isNumeric(schema: JsonSchema | undefined): boolean {
  return schema !== undefined && ['integer', 'number'].includes(typeOf(schema));
}

/** A list field is typed as one line: "PROJ, OPS" → ["PROJ", "OPS"]. */
function listItems(text: string): string[] {
  return text.split(/[,\s]+/).filter((item) => item !== '');
}

/** A default as it is typed into its input: a list comma-separated, an object as JSON. */
function typed(value: unknown): string {
  if (Array.isArray(value)) return value.map(String).join(', ');
  return typeof value === 'object' && value !== null ? JSON.stringify(value) : String(value);
}

/** An object field is typed as JSON; text that does not parse is sent as is, for the API to refuse naming the field. */
function parsedObject(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

/** The form's starting values: each field's default (secrets never have one). */
export function initialValues(schema: JsonSchema): FormValues {
  const out: FormValues = {};
  for (const [name, field] of Object.entries(schema.properties ?? {})) {
    if (typeOf(field) === 'boolean') out[name] = field.default === true;
    else out[name] = field.default === undefined || field.writeOnly ? '' : typed(field.default);
  }
  return out;
}

/** Typed values for the API: numbers as numbers, empty optional fields left out. */
export function toPayload(schema: JsonSchema, values: FormValues): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, field] of Object.entries(schema.properties ?? {})) {
    const v = values[name];
    const t = typeOf(field);
    if (t === 'boolean') out[name] = v === true;
    else if (typeof v !== 'string' || v.trim() === '') continue;
    else if (t === 'array') out[name] = listItems(v).map((item) => (isNumeric(field.items) ? Number(item) : item));
    else if (t === 'object') out[name] = parsedObject(v);
    else out[name] = isNumeric(field) ? Number(v) : v;
  }
  return out;
}

/**
 * Inputs generated from a JSON Schema (a connector's credential or config schema). Secret fields
 * are password inputs that the browser neither autofills nor offers to save, and their values are
 * never shown back.
 */
export function SchemaFields({ schema, values, onChange, idPrefix, secretFields = [], errors = {} }: {
  schema: JsonSchema;
  values: FormValues;
  onChange: (name: string, value: string | boolean) => void;
  idPrefix: string;
  secretFields?: string[];
  errors?: Record<string, string>;
}) {
  const required = new Set(schema.required ?? []);
  const entries = Object.entries(schema.properties ?? {});
  if (entries.length === 0) return <p className="hint">Nothing to set.</p>;
  return (
    <>
      {entries.map(([name, field]) => {
        const id = `${idPrefix}-${name}`;
        const secret = secretFields.includes(name) || field.writeOnly === true;
        const t = typeOf(field);
        const error = errors[name];
        const hint = [required.has(name) ? 'required' : 'optional', t === 'array' ? 'a list: separate the values with commas' : t === 'object' ? 'a JSON object' : null,
          secret ? 'secret: stored encrypted, never shown again' : null, field.default !== undefined && !secret ? `default ${typed(field.default)}` : null, field.description ?? null]
          .filter(Boolean).join(' · ');
        const describedBy = [hint ? `${id}-hint` : null, error ? `${id}-error` : null].filter(Boolean).join(' ') || undefined;
        if (t === 'boolean') {
          return (
            <div className="field check" key={name}>
              <input id={id} type="checkbox" checked={values[name] === true} onChange={(e) => onChange(name, e.target.checked)} aria-describedby={describedBy} />
              <label htmlFor={id}>{humanize(name)}</label>
              {hint && <small id={`${id}-hint`}>{hint}</small>}
            </div>
          );
        }
        return (
          <div className="field" key={name}>
            <label htmlFor={id}>{humanize(name)}</label>
            {field.enum ? (
              <select id={id} value={String(values[name] ?? '')} onChange={(e) => onChange(name, e.target.value)} required={required.has(name)} aria-describedby={describedBy}>
                <option value="">—</option>
                {field.enum.map((v) => <option key={String(v)} value={String(v)}>{String(v)}</option>)}
              </select>
            ) : (
              <input
                id={id}
                name={secret ? undefined : name}
                type={secret ? 'password' : isNumeric(field) ? 'number' : field.format === 'uri' ? 'url' : field.format === 'email' ? 'email' : 'text'}
                autoComplete={secret ? 'new-password' : 'off'}
                spellCheck={false}
                required={required.has(name)}
                min={field.minimum}
                max={field.maximum}
                value={String(values[name] ?? '')}
                onChange={(e) => onChange(name, e.target.value)}
                aria-invalid={error ? true : undefined}
                aria-describedby={describedBy}
                data-secret={secret ? 'true' : undefined}
              />
            )}
            {hint && <small id={`${id}-hint`}>{hint}</small>}
            {error && <small id={`${id}-error`} className="field-error" role="alert">{error}</small>}
          </div>
        );
      })}
    </>
  );
}
