package io.vxcable.session;

/** Outcome of an authentication or a command, as AnyCable RPC reports it. */
public enum Status {
  /** Done: apply the result. */
  SUCCESS,
  /** Refused by the application (rejected connection or subscription): send the transmissions. */
  FAILURE,
  /** Failed: nothing is sent, nothing changes. */
  ERROR
}
