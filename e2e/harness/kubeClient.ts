// The few Kubernetes API calls the end-to-end tests make to read what really landed in the
// cluster, over HTTPS with the control plane's CA and bearer token (Node's https, no client
// library: every call is a GET of a documented REST path).

import { request } from "node:https";

/** The parts of an object the tests read. */
export interface KubeObject {
  readonly metadata: {
    readonly name: string;
    readonly namespace?: string;
    readonly uid: string;
    readonly resourceVersion: string;
    readonly labels?: Record<string, string>;
    readonly annotations?: Record<string, string>;
    readonly ownerReferences?: readonly { readonly kind: string; readonly name: string }[];
    readonly creationTimestamp?: string;
  };
  readonly [field: string]: unknown;
}

export class KubeClient {
  constructor(
    private readonly server: string,
    private readonly token: string,
    private readonly ca: () => Buffer,
  ) {}

  private call(path: string): Promise<{ status: number; body: string }> {
    return new Promise((resolve, reject) => {
      const req = request(
        `${this.server}${path}`,
        { headers: { authorization: `Bearer ${this.token}` }, ca: this.ca(), timeout: 10_000 },
        (res) => {
          let body = "";
          res.setEncoding("utf8");
          res.on("data", (chunk: string) => (body += chunk));
          res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
        },
      );
      req.on("timeout", () => req.destroy(new Error(`GET ${path}: timed out`)));
      req.on("error", reject);
      req.end();
    });
  }

  async getText(path: string): Promise<string> {
    const { status, body } = await this.call(path);
    if (status !== 200) {
      throw new Error(`GET ${path}: ${status}`);
    }
    return body;
  }

  /** The object at `path`, or undefined when there is none (404). */
  async get<T = KubeObject>(path: string): Promise<T | undefined> {
    const { status, body } = await this.call(path);
    if (status === 404) {
      return undefined;
    }
    if (status !== 200) {
      throw new Error(`GET ${path}: ${status} ${body.slice(0, 200)}`);
    }
    return JSON.parse(body) as T;
  }

  async list(path: string): Promise<KubeObject[]> {
    const found = await this.get<{ items: KubeObject[] }>(path);
    return found?.items ?? [];
  }
}
