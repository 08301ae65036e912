// What the component tests share: the type tokens of the objects they look for, and decoding a
// Secret's data. Used only by tests/components/.

export const SECRET_TYPE = "kubernetes:core/v1:Secret";
export const CONFIG_MAP_TYPE = "kubernetes:core/v1:ConfigMap";
export const DEPLOYMENT_TYPE = "kubernetes:apps/v1:Deployment";

/** A Kubernetes object's JSON, as registered. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- Kubernetes JSON
export type Obj = Record<string, any>;

/** A Secret's `data`, base64-decoded. */
export function decode(data: Record<string, string>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(data).map(([k, v]) => [k, Buffer.from(v, "base64").toString("utf8")]),
  );
}
