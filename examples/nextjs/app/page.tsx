import { TokenStatus } from './token-status';

export default function Home() {
  return (
    <main>
      <h1>Twilio Access Tokens in Next.js</h1>
      <TokenStatus />
    </main>
  );
}
