// Writes src/main/resources/presets/<network>.yaml: each network's contract addresses, read from the npm packages
// the protocols publish and maintain (pinned in package.json / package-lock.json), each with the package, its
// version and the export it came from. No address is typed here: a network's kind and the notes on what no package
// lists are the only hand-written data.
//
//   cd tools/presets && npm ci && node generate.mjs
//
// The packages are loaded as CommonJS: @uniswap/sdk-core's ES module build does not resolve under Node.
import { createRequire } from 'node:module';
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const here = dirname(fileURLToPath(import.meta.url));
const outDir = join(here, '..', '..', 'src', 'main', 'resources', 'presets');

/** name@version of an installed package, read from its package.json (some packages do not export it). */
function pkg(name) {
  const json = JSON.parse(readFileSync(join(here, 'node_modules', name, 'package.json'), 'utf8'));
  return `${name}@${json.version}`;
}

const aave = require('@aave-dao/aave-address-book');
const blue = require('@morpho-org/blue-sdk');
const uniCore = require('@uniswap/sdk-core');
const uniRouter = require('@uniswap/smart-order-router/build/main/util/addresses.js');
const oneInch = require('@1inch/limit-order-sdk');

const AAVE = pkg('@aave-dao/aave-address-book');
const BLUE = pkg('@morpho-org/blue-sdk');
const UNI_CORE = pkg('@uniswap/sdk-core');
const UNI_ROUTER = pkg('@uniswap/smart-order-router');
const ONE_INCH = pkg('@1inch/limit-order-sdk');

// The networks, their chain ids and kinds (how a chain charges for gas: an OP-stack chain adds an L1 data fee, an
// Arbitrum chain an L1 component in its gas estimates), and the Aave address book's name for each market.
const NETWORKS = [
  { name: 'ethereum', chainId: 1, kind: 'l1', aave: 'AaveV3Ethereum' },
  { name: 'base', chainId: 8453, kind: 'op-stack', aave: 'AaveV3Base' },
  { name: 'arbitrum', chainId: 42161, kind: 'arbitrum', aave: 'AaveV3Arbitrum' },
  { name: 'optimism', chainId: 10, kind: 'op-stack', aave: 'AaveV3Optimism' },
];

// Aggregator routers that no maintained package lists in the form the keeper uses; left out of every preset.
const NOT_LISTED = [
  {
    name: 'zeroExAllowanceHolder',
    why: '0x Swap API v2 sends through its AllowanceHolder; @0x/contract-addresses@8.13.0 lists only the v1'
      + ' exchangeProxy, and no other package lists the AllowanceHolder',
  },
  {
    name: 'paraSwapAugustus',
    why: '@paraswap/sdk@7.3.1 and @velora-dex/sdk@9.5.4 ask the ParaSwap API for the Augustus address at run time;'
      + ' neither lists it',
  },
  {
    name: 'kyberSwapRouter',
    why: '@kyberswap/ks-sdk-core@1.1.19 lists tokens only, not the aggregator router',
  },
  { name: 'odosRouter', why: 'Odos publishes no package on npm that lists its router' },
];

// What an entry is where its name does not say it all, and which keeper setting takes it (written next to the entry).
const NOTES = {
  uniswapV3SwapRouter02:
    'SwapRouter02 (exactInputSingle without a deadline): what the keeper\'s contracts.uniswapV3Router02 takes;'
    + ' contracts.uniswapV3Router is the original SwapRouter, which no package lists and not every chain has',
  oneInchRouter:
    'the 1inch limit order protocol v4 contract, whose ABI the package ships as AggregationRouterV6.abi.json',
};

function need(value, what) {
  if (typeof value !== 'string' || !/^0x[0-9a-fA-F]{40}$/.test(value)) {
    throw new Error(`${what}: not an address in the package (${value})`);
  }
  return value;
}

function entriesFor(n) {
  const book = aave[n.aave];
  if (!book) throw new Error(`${AAVE} has no ${n.aave}`);
  if (book.CHAIN_ID !== n.chainId) throw new Error(`${AAVE} ${n.aave}.CHAIN_ID is ${book.CHAIN_ID}, not ${n.chainId}`);
  const morpho = blue.addressesRegistry[n.chainId];
  if (!morpho) throw new Error(`${BLUE} has no addresses for chain ${n.chainId}`);
  const uni = uniCore.CHAIN_TO_ADDRESSES_MAP[n.chainId];
  if (!uni) throw new Error(`${UNI_CORE} has no addresses for chain ${n.chainId}`);
  const id = n.chainId;
  const e = (name, address, source) => ({ name, address: need(address, `${name} (${source})`), source });
  const entries = [
    e('morpho', morpho.morpho, `${BLUE} addressesRegistry[${id}].morpho`),
    e('aavePool', book.POOL, `${AAVE} ${n.aave}.POOL`),
    e('aavePoolAddressesProvider', book.POOL_ADDRESSES_PROVIDER, `${AAVE} ${n.aave}.POOL_ADDRESSES_PROVIDER`),
    e('aaveOracle', book.ORACLE, `${AAVE} ${n.aave}.ORACLE`),
    e('uniswapV3Factory', uni.v3CoreFactoryAddress, `${UNI_CORE} CHAIN_TO_ADDRESSES_MAP[${id}].v3CoreFactoryAddress`),
    e('uniswapV3SwapRouter02', uniCore.SWAP_ROUTER_02_ADDRESSES(id), `${UNI_CORE} SWAP_ROUTER_02_ADDRESSES(${id})`),
    e('uniswapV3QuoterV2', uniRouter.QUOTER_V2_ADDRESSES[id], `${UNI_ROUTER} util/addresses QUOTER_V2_ADDRESSES[${id}]`),
    e('uniswapV2Router02', uniCore.V2_ROUTER_ADDRESSES[id], `${UNI_CORE} V2_ROUTER_ADDRESSES[${id}]`),
    e('oneInchRouter', oneInch.getLimitOrderContract(id), `${ONE_INCH} getLimitOrderContract(${id})`),
    e('wrappedNative', morpho.wNative, `${BLUE} addressesRegistry[${id}].wNative`),
  ];
  // Three packages name the wrapped native token; they must agree, or one of them is wrong for this chain.
  const weth = [book.ASSETS?.WETH?.UNDERLYING, uniCore.WETH9[id]?.address];
  for (const other of weth) {
    if (!other || other.toLowerCase() !== morpho.wNative.toLowerCase()) {
      throw new Error(`${n.name}: wrapped native ${morpho.wNative} (${BLUE}) disagrees with ${other} (${AAVE}/${UNI_CORE})`);
    }
  }
  entries.at(-1).note = `the same address as ${AAVE} ${n.aave}.ASSETS.WETH.UNDERLYING and ${UNI_CORE} WETH9[${id}]`;
  return entries;
}

function yamlFor(n, entries) {
  const q = (s) => JSON.stringify(s); // a JSON string is a valid double-quoted YAML scalar
  const lines = [
    `# Network preset: ${n.name} (chain ${n.chainId}). Generated by tools/presets/generate.mjs from the npm packages`,
    '# named in each source; do not edit by hand. To regenerate: cd tools/presets && npm ci && node generate.mjs',
    '#',
    '# Not in this preset, as no maintained package lists them (why: notListed at the end; take them from the vendor):',
    `#   ${NOT_LISTED.map((m) => m.name).join(', ')}`,
    `name: ${n.name}`,
    `chainId: ${n.chainId}`,
    `kind: ${n.kind}`,
    'addresses:',
  ];
  for (const a of entries) {
    lines.push(`  ${a.name}:`);
    lines.push(`    address: ${q(a.address)}`);
    lines.push(`    source: ${q(a.source)}`);
    const note = a.note ?? NOTES[a.name];
    if (note) lines.push(`    note: ${q(note)}`);
  }
  lines.push('notListed:');
  for (const m of NOT_LISTED) lines.push(`  ${m.name}: ${q(m.why)}`);
  return lines.join('\n') + '\n';
}

mkdirSync(outDir, { recursive: true });
for (const n of NETWORKS) {
  const file = join(outDir, `${n.name}.yaml`);
  writeFileSync(file, yamlFor(n, entriesFor(n)));
  console.log(`wrote ${file}`);
}
