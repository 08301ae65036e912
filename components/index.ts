// Components only; shared pure logic lives in ../lib.
export * from "./AppConfig";
export * from "./AppDeployment";
export * from "./AppNamespace";
export * from "./AppSecret";
export * from "./ConfiguredApp";
export * from "./RegistryPullSecret";
export * from "./SecretFileSet";
