// Drives the emulator with the official OpenAI SDK for Node.js: a chat and a completion, each streamed and
// not. Run by OpenAiSdkCompatibilityTest with EMULATOR_BASE_URL=http://127.0.0.1:PORT/v1.
// Prints one JSON line of findings; exits non-zero on any failure.
import OpenAI from 'openai';

const baseURL = process.env.EMULATOR_BASE_URL;
if (!baseURL) {
  console.error('EMULATOR_BASE_URL is not set');
  process.exit(2);
}
const client = new OpenAI({ baseURL, apiKey: 'flp_sdk_check', maxRetries: 0, timeout: 20000 });
const model = 'meta-llama-3.1-8b-instruct';
const messages = [{ role: 'user', content: 'Say hello in five words.' }];

function check(condition, message) {
  if (!condition) {
    throw new Error(message);
  }
}

const chat = await client.chat.completions.create({ model, messages, max_tokens: 10, seed: 1 });
check(chat.object === 'chat.completion', `chat object was ${chat.object}`);
check(chat.id.startsWith('chatcmpl-'), `chat id was ${chat.id}`);
check(typeof chat.choices[0].message.content === 'string' && chat.choices[0].message.content.length > 0,
  'chat content is empty');
check(chat.usage.total_tokens === chat.usage.prompt_tokens + chat.usage.completion_tokens, 'chat usage does not add up');

const chatStream = await client.chat.completions.create({
  model, messages, max_tokens: 10, seed: 1, stream: true, stream_options: { include_usage: true },
});
let streamedChat = '';
let chatChunks = 0;
let chatUsage = null;
let chatFinish = null;
for await (const chunk of chatStream) {
  chatChunks++;
  if (chunk.usage) chatUsage = chunk.usage;
  for (const choice of chunk.choices) {
    streamedChat += choice.delta?.content ?? '';
    if (choice.finish_reason) chatFinish = choice.finish_reason;
  }
}
check(streamedChat === chat.choices[0].message.content,
  `streamed chat text '${streamedChat}' differs from '${chat.choices[0].message.content}'`);
check(chatChunks > 2, `chat stream had only ${chatChunks} chunks`);
check(chatUsage && chatUsage.completion_tokens === chat.usage.completion_tokens, 'chat stream usage missing or wrong');
check(chatFinish === chat.choices[0].finish_reason, `chat stream finish_reason was ${chatFinish}`);

const completion = await client.completions.create({ model, prompt: 'Once upon a time', max_tokens: 8, seed: 5 });
check(completion.object === 'text_completion', `completion object was ${completion.object}`);
check(completion.id.startsWith('cmpl-'), `completion id was ${completion.id}`);
check(completion.choices[0].text.length > 0, 'completion text is empty');

const completionStream = await client.completions.create({
  model, prompt: 'Once upon a time', max_tokens: 8, seed: 5, stream: true,
});
let streamedCompletion = '';
let completionChunks = 0;
for await (const chunk of completionStream) {
  completionChunks++;
  for (const choice of chunk.choices) streamedCompletion += choice.text ?? '';
}
check(streamedCompletion === completion.choices[0].text,
  `streamed completion '${streamedCompletion}' differs from '${completion.choices[0].text}'`);
check(completionChunks > 1, `completion stream had only ${completionChunks} chunks`);

console.log(JSON.stringify({
  ok: true,
  chat: chat.choices[0].message.content,
  chatChunks,
  completion: completion.choices[0].text,
  completionChunks,
}));
