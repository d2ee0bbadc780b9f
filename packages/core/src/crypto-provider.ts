export interface CryptoProvider {}
