// The page of the React test: the built /react entry (the test bundles dist/react.js and
// dist/client.js for these imports) with real React in its development build, every tree under
// <StrictMode>, which mounts each effect twice. Bundled with esbuild for the browser.
import { createElement, StrictMode, useEffect } from 'react';
import { createRoot, type Root } from 'react-dom/client';
import { createTokenProvider, type TokenProvider } from 'twilio-access-token/client';
import { AccessTokenProvider, useAccessToken, useTokenProvider } from 'twilio-access-token/react';

const init = { headers: { authorization: 'Bearer page' } };
/** Each token a component rendered, in order (repeats included: one entry per render). */
const rendered: string[] = [];
let root: Root | undefined;
let given: TokenProvider | undefined;
/** A provider outside React that the test watches refresh: a clock made of conditions. */
let control: TokenProvider | undefined;
/** Each provider useTokenProvider returned: one per tree, StrictMode's double mount included. */
const providers = new Set<TokenProvider>();

function Hook(props: { source: Parameters<typeof useAccessToken>[0] }) {
  const { token, loading } = useAccessToken(props.source);
  if (token !== undefined) rendered.push(token);
  return createElement('p', null, token ?? (loading ? 'loading' : 'failed'));
}

/** Uses the tree's provider directly, as an SDK integration would. */
function Attached() {
  const provider = useTokenProvider();
  providers.add(provider);
  useEffect(() => provider.attach({ updateToken: (token) => rendered.push(`attached:${token}`) }), [provider]);
  return null;
}

function givenProvider(): TokenProvider {
  given = createTokenProvider({ url: '/token', init });
  return given;
}

function mount(tree: 'hook' | 'context' | 'given') {
  const element =
    tree === 'hook'
      ? createElement(Hook, { source: { url: '/token', init } })
      : tree === 'given'
        ? createElement(Hook, { source: givenProvider() })
        : createElement(
            AccessTokenProvider,
            { provider: { url: '/token', init } },
            createElement(Hook, { source: undefined }),
            createElement(Attached),
          );
  rendered.length = 0;
  root = createRoot(document.body.appendChild(document.createElement('div')));
  root.render(createElement(StrictMode, null, element));
}

const api = {
  mount,
  unmount: () => root?.unmount(),
  rendered: () => [...rendered],
  providers: () => providers.size,
  /** The given provider, still running after its component unmounted: its next token. */
  givenToken: () => given?.getToken(),
  stopGiven: () => given?.stop(),
  /** Starts a provider of its own (requests to /token?control) that refreshes as any other. */
  startControl: () => {
    control = createTokenProvider({ url: '/token?control', init });
    void control.getToken();
  },
  stopControl: () => control?.stop(),
};
(window as unknown as { reactTest: typeof api }).reactTest = api;
