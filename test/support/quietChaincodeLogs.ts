// fabric-contract-api logs every decorator at info level when a contract module loads; unit
// tests load them in-process, so keep the shim's logger to warnings.
process.env.CORE_CHAINCODE_LOGGING_LEVEL ??= 'warning';
