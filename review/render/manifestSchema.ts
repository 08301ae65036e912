// Checks rendered objects against the Kubernetes OpenAPI schema, using the JSON schemas that
// `kubernetes-models` generates from it (one model per apiVersion and kind, each with `validate()`).
// The schema catches wrong types, missing required fields and bad formats (Secret data must be
// base64); like the API's own OpenAPI document it does not reject unknown fields.

import { Manifest, describeObject } from "./manifests";

interface Model {
  validate(): void;
}
type ModelClass = new (data: unknown) => Model;

/** One manifest that does not match its schema. */
export interface SchemaProblem {
  readonly fileName: string;
  readonly message: string;
}

/**
 * The schema problems of `manifests`, empty when all are valid. The objects are checked as the API
 * server would receive them (secret values included, so that base64 formats are checked), and a
 * message never contains a value: only the field's path and the rule it breaks.
 */
export async function schemaProblems(manifests: readonly Manifest[]): Promise<SchemaProblem[]> {
  const problems: SchemaProblem[] = [];
  for (const manifest of manifests) {
    const { apiVersion, kind } = manifest.actual;
    const model = await loadModel(apiVersion, kind);
    if (model === undefined) {
      problems.push({
        fileName: manifest.fileName,
        message: `${describeObject(manifest.shown)}: no schema for ${apiVersion} ${kind}`,
      });
      continue;
    }
    try {
      new model(manifest.actual).validate();
    } catch (error) {
      problems.push({
        fileName: manifest.fileName,
        message: `${describeObject(manifest.shown)}: ${schemaMessage(error)}`,
      });
    }
  }
  return problems;
}

// kubernetes-models exports each model as `kubernetes-models/<apiVersion>/<Kind>`, which is also
// the only module loaded, so a render pays for the kinds it uses.
async function loadModel(apiVersion: string, kind: string): Promise<ModelClass | undefined> {
  if (!/^[a-z0-9.]+(\/[a-z0-9]+)?$/.test(apiVersion) || !/^[A-Za-z0-9]+$/.test(kind)) {
    return undefined;
  }
  try {
    const module = (await import(`kubernetes-models/${apiVersion}/${kind}`)) as Record<
      string,
      unknown
    >;
    const model = module[kind];
    return typeof model === "function" ? (model as ModelClass) : undefined;
  } catch {
    return undefined;
  }
}

// ajv's errors (kept by kubernetes-models' ValidationError) carry the path and the rule, never the
// offending value; the message prefixes each path with "data", which means the object itself.
function schemaMessage(error: unknown): string {
  const errors = (error as { errors?: { instancePath?: string; message?: string }[] }).errors;
  if (Array.isArray(errors) && errors.length > 0) {
    return errors
      .map(
        (e) =>
          `${e.instancePath === "" ? "(object)" : e.instancePath} ${e.message ?? "is invalid"}`,
      )
      .join("; ");
  }
  return error instanceof Error ? error.message : String(error);
}
