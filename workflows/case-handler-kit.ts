// What every case Update handler shares: the validator runs the transition table (a rejected Update leaves
// no trace in history), checks the actor and the payload; the handler changes state and commits.
import type { UpdateDefinition } from '@temporalio/common';
import { ApplicationFailure, setHandler } from '@temporalio/workflow';
import type { CaseRuntime } from './case-handlers.ts';
import type { ActorInput, CaseView } from './messages.ts';
import { type CaseAction, canRun } from './transitions.ts';

export function invalid(field: string, message: string): never {
  throw ApplicationFailure.nonRetryable(message, 'InvalidPayload', { field });
}

export function requireText(value: string | undefined | null, field: string, min = 1) {
  if (!value || value.trim().length < min)
    invalid(field, `${field} is required (at least ${min} characters)`);
}

export function rule(message: string): never {
  throw ApplicationFailure.nonRetryable(message, 'TransitionNotAllowed');
}

/** The request would repeat what the case already is (a duplicate forward, assign): 409 `already_pending`. */
export function alreadyDone(message: string): never {
  throw ApplicationFailure.nonRetryable(message, 'AlreadyPending');
}

export type On = <I extends ActorInput>(
  def: UpdateDefinition<CaseView, [I]>,
  action: CaseAction,
  validate: (input: I) => void,
  handle: (input: I) => Promise<void> | void,
) => void;

/** `on(update, action, validate, handle)` for this case. */
export function handlerKit(rt: CaseRuntime): On {
  function guard(action: CaseAction) {
    if (!rt.isRegistered())
      throw ApplicationFailure.nonRetryable('Case is still being registered', 'NotReady');
    if (!canRun(action, rt.view.status)) {
      throw ApplicationFailure.nonRetryable(
        `Action "${action}" is not allowed while the case is "${rt.view.status}"`,
        'TransitionNotAllowed',
      );
    }
  }
  return (def, action, validate, handle) => {
    setHandler(
      def,
      async (input) => {
        await handle(input);
        return rt.commit();
      },
      {
        validator: (input) => {
          guard(action);
          requireText(input?.actor, 'actor');
          validate(input);
        },
      },
    );
  };
}
