import { readFileSync } from 'node:fs';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import { parse } from 'yaml';
import type { KubernetesStatusCause } from '../../lib/adapters/kubernetes/kubernetes-errors.ts';

/**
 * Which operator CRDs the emulator enforces: `main` (operator main, with
 * `spec.taskManager.resources`) or `operator-1.15.0` (the latest release), verbatim copies of
 * /work/shared/reference (docs/flink-resources.md, table at the top).
 */
export type CrdVariant = 'main' | 'operator-1.15.0';

/** Validates one object against its CRD's `openAPIV3Schema`; returns the causes (empty = valid). */
export type ObjectValidator = (object: unknown) => KubernetesStatusCause[];

const compiled = new Map<string, ValidateFunction>();

function crdFile(plural: 'flinkdeployments' | 'flinksessionjobs', variant: CrdVariant): URL {
  const suffix = variant === 'main' ? '' : `.${variant}`;
  return new URL(`./crds/${plural}.flink.apache.org-v1${suffix}.yml`, import.meta.url);
}

/**
 * Compiles the `v1beta1` schema of a Flink CRD with ajv. The `x-kubernetes-*` extensions are
 * declared as annotation keywords: `int-or-string` is already expressed by the CRD's `anyOf`,
 * `preserve-unknown-fields` has nothing to check because these schemas never set
 * `additionalProperties: false` (the API server prunes unknown fields instead of rejecting them).
 */
export function flinkCrdValidator(
  plural: 'flinkdeployments' | 'flinksessionjobs',
  variant: CrdVariant,
): ObjectValidator {
  const key = `${plural}/${variant}`;
  let validate = compiled.get(key);
  if (!validate) {
    const crd = parse(readFileSync(crdFile(plural, variant), 'utf8')) as {
      spec: { versions: Array<{ name: string; schema: { openAPIV3Schema: object } }> };
    };
    const version = crd.spec.versions.find((v) => v.name === 'v1beta1');
    if (!version) throw new Error(`CRD ${key} has no v1beta1 version`);
    const ajv = new Ajv({ allErrors: true, strict: false });
    for (const keyword of [
      'x-kubernetes-int-or-string',
      'x-kubernetes-preserve-unknown-fields',
      'x-kubernetes-list-type',
      'x-kubernetes-list-map-keys',
      'x-kubernetes-map-type',
      'x-kubernetes-embedded-resource',
    ]) {
      ajv.addKeyword({ keyword, schemaType: ['boolean', 'string', 'array'] });
    }
    validate = ajv.compile(version.schema.openAPIV3Schema);
    compiled.set(key, validate);
  }
  const fn = validate;
  return (object) => (fn(object) ? [] : toCauses(fn.errors ?? []));
}

/** Maps ajv errors to Kubernetes `causes` with the API server's reasons and dotted field paths. */
export function toCauses(errors: readonly ErrorObject[]): KubernetesStatusCause[] {
  const causes: KubernetesStatusCause[] = [];
  const seen = new Set<string>();
  for (const error of errors) {
    // anyOf branches of int-or-string report each failed branch; the anyOf error itself suffices.
    if (
      errors.some((e) => e.keyword === 'anyOf' && e.instancePath === error.instancePath) &&
      error.keyword !== 'anyOf'
    ) {
      continue;
    }
    const base = error.instancePath
      .split('/')
      .filter((p) => p !== '')
      .map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'))
      .map((p, i) => (/^\d+$/.test(p) ? `[${p}]` : i === 0 ? p : `.${p}`))
      .join('');
    let field = base;
    let reason = 'FieldValueInvalid';
    let message = error.message ?? 'invalid';
    if (error.keyword === 'required') {
      const missing = (error.params as { missingProperty: string }).missingProperty;
      field = base === '' ? missing : `${base}.${missing}`;
      reason = 'FieldValueRequired';
      message = 'Required value';
    } else if (error.keyword === 'enum') {
      reason = 'FieldValueNotSupported';
      const allowed = (error.params as { allowedValues: unknown[] }).allowedValues;
      message = `Unsupported value: ${JSON.stringify(error.data)}: supported values: ${allowed.map((a) => JSON.stringify(a)).join(', ')}`;
    } else if (error.keyword === 'type' || error.keyword === 'anyOf') {
      reason = 'FieldValueTypeInvalid';
      message = `Invalid value: ${JSON.stringify(error.data)}: ${error.keyword === 'anyOf' ? 'must be an integer or a string' : error.message}`;
    }
    const id = `${field}|${reason}`;
    if (seen.has(id)) continue;
    seen.add(id);
    causes.push({ reason, message, field });
  }
  return causes;
}
