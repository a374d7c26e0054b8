// The part of @twilio/voice-react-native-sdk that docs/mobile.md uses, as structural types (its
// `Voice` class: `register(token)`, `connect(token, { params })`), so the package needs no
// React Native dependency to type-check the guide.

/** An outgoing or accepted call. */
export interface Call {
  disconnect(): Promise<void>;
}

/** The Voice SDK's entry point. */
export declare class Voice {
  register(token: string): Promise<void>;
  unregister(token: string): Promise<void>;
  connect(token: string, options?: { params?: Record<string, string>; contactHandle?: string }): Promise<Call>;
}
