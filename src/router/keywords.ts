// Keyword lists per dimension and language, as data. English lists are ClawRouter's, unchanged; the others carry the
// same intent in ZH, JA, KO, RU, DE, ES, FR and PT. Entries are "|"-separated and lower-case. Words in spaced
// scripts match whole words (an English word may take -s/-es/-ed/-ing: "functions", "fixed"); Han, Kana and Hangul
// entries match as substrings because those scripts do not separate words. Keep CJK entries from overlapping
// within one dimension ("证明" inside "数学证明" would count twice).

export type Lang = "en" | "zh" | "ja" | "ko" | "ru" | "de" | "es" | "fr" | "pt";
export type KeywordDim =
  | "code"
  | "reasoning"
  | "technical"
  | "creative"
  | "simple"
  | "imperative"
  | "constraint"
  | "outputFormat"
  | "reference"
  | "negation"
  | "domain"
  | "agentic";

export const KEYWORDS: Record<KeywordDim, Record<Lang, string>> = {
  code: {
    en: "function|class|import|def|select|async|await|const|let|var|return|```",
    zh: "函数|类定义|导入|异步|常量|变量|返回值|代码",
    ja: "関数|クラス|インポート|非同期|定数|変数|コード",
    ko: "함수|클래스|임포트|비동기|상수|변수|코드",
    ru: "функция|функцию|функции|класс|импорт|асинхронный|константа|переменная|переменную|код",
    de: "funktion|klasse|importieren|asynchron|konstante|rückgabewert",
    es: "función|clase|importar|asíncrono|asíncrona|constante|retornar",
    fr: "fonction|classe|importer|asynchrone|constante|retourner",
    pt: "função|classe|importar|assíncrono|constante|variável|retornar",
  },
  reasoning: {
    en: "prove|theorem|derive|step by step|chain of thought|formally|mathematical|proof|logically",
    zh: "证明|定理|推导|逐步|一步一步|思维链|形式化|数学|逻辑上",
    ja: "証明|定理|導出|ステップバイステップ|段階的に|論理的|数学的|形式的",
    ko: "증명|유도|단계별|논리적|수학적|형식적",
    ru: "докажи|доказать|докажите|доказательство|теорема|теорему|вывести|выведи|пошагово|шаг за шагом|формально|математический|логически",
    de: "beweise|beweisen|beweis|herleiten|leite her|schritt für schritt|formell|mathematisch|logisch",
    es: "demuestra|demostrar|demostración|teorema|derivar|paso a paso|formalmente|matemático|matemática|lógicamente",
    fr: "prouver|prouve|démontrer|démontre|démonstration|théorème|dériver|étape par étape|formellement|mathématique|logiquement",
    pt: "provar|prove|demonstre|demonstrar|demonstração|teorema|derivar|passo a passo|formalmente|matemático|logicamente",
  },
  technical: {
    en: "algorithm|optimize|architecture|distributed|kubernetes|microservice|database|infrastructure",
    zh: "算法|优化|架构|分布式|微服务|数据库|基础设施",
    ja: "アルゴリズム|最適化|アーキテクチャ|分散|マイクロサービス|データベース|インフラ",
    ko: "알고리즘|최적화|아키텍처|분산|마이크로서비스|데이터베이스|인프라",
    ru: "алгоритм|оптимизировать|оптимизируй|оптимизация|архитектура|распределённый|распределенный|микросервис|база данных|инфраструктура",
    de: "algorithmus|optimieren|optimiere|architektur|verteilt|verteilte|datenbank|infrastruktur",
    es: "algoritmo|optimizar|optimiza|arquitectura|distribuido|microservicio|base de datos|infraestructura",
    fr: "algorithme|optimiser|optimise|distribué|base de données",
    pt: "algoritmo|otimizar|otimize|arquitetura|distribuído|microsserviço|banco de dados|infraestrutura",
  },
  creative: {
    en: "story|poem|compose|brainstorm|creative|imagine|write a",
    zh: "故事|诗|创作|头脑风暴|创意|想象|写一篇|写一首|写一个",
    ja: "物語|詩|作曲|ブレインストーミング|創造的|想像",
    ko: "이야기|시를|작곡|브레인스토밍|창의적|상상",
    ru: "рассказ|стихотворение|стих|сочини|сочинить|мозговой штурм|творческий|представь|напиши",
    de: "erzählung|geschichte|gedicht|komponiere|kreativ|stell dir vor|schreibe eine|schreib ein",
    es: "cuento|historia|poema|componer|lluvia de ideas|creativo|imagina|escribe un|escribe una",
    fr: "histoire|poème|composer|remue-méninges|créatif|imagine|écris un|écris une",
    pt: "história|poema|compor|criativo|imagine|escreva um|escreva uma",
  },
  simple: {
    en: "what is|define|translate|hello|yes or no|capital of|how old|who is|when was",
    zh: "什么是|定义|翻译|你好|首都|多大|谁是|什么时候",
    ja: "とは|定義|翻訳|こんにちは|首都|何歳",
    ko: "무엇|정의|번역|안녕|수도|몇 살|누구",
    ru: "что такое|определи|переведи|привет|да или нет|столица|сколько лет|кто такой|когда был",
    de: "was ist|definiere|übersetze|hallo|ja oder nein|hauptstadt|wie alt|wer ist|wann war",
    es: "qué es|que es|traduce|hola|sí o no|capital de|cuántos años|quién es|cuándo fue",
    fr: "qu'est-ce que|définis|traduis|bonjour|oui ou non|capitale de|quel âge|qui est|quand était",
    pt: "o que é|defina|traduza|olá|sim ou não|quantos anos|quem é|quando foi",
  },
  imperative: {
    en: "build|create|implement|design|develop|construct|generate|deploy|configure|set up",
    zh: "构建|创建|实现|设计|开发|生成|部署|配置|搭建",
    ja: "構築|作成|実装|設計|開発|生成|デプロイ|設定",
    ko: "구축|생성|구현|설계|개발|배포|구성|설정",
    ru: "построй|создай|создать|реализуй|реализовать|спроектируй|разработай|сгенерируй|разверни|настрой",
    de: "baue|erstelle|implementiere|entwirf|entwickle|generiere|konfiguriere|richte ein",
    es: "construye|crea|implementa|diseña|desarrolla|genera|despliega|configura",
    fr: "construis|crée|implémente|conçois|développe|génère|déploie",
    pt: "construa|crie|implemente|projete|desenvolva|gere|implante",
  },
  constraint: {
    en: "under|at most|at least|within|no more than|o(|maximum|minimum|limit|budget",
    zh: "不超过|至少|最多|以内|最大|最小|限制|预算",
    ja: "以下|以上|以内|最大|最小|制限|予算|少なくとも",
    ko: "이하|이상|이내|최대|최소|제한|예산",
    ru: "не более|не менее|как минимум|максимум|минимум|ограничение|бюджет|в пределах",
    de: "höchstens|mindestens|innerhalb|maximal|minimal|grenze",
    es: "al menos|dentro de|no más de|máximo|mínimo|límite|presupuesto",
    fr: "au plus|au moins|en moins de|pas plus de|limite",
    pt: "no máximo|pelo menos|máximo|mínimo|orçamento",
  },
  outputFormat: {
    en: "json|yaml|xml|table|csv|markdown|schema|format as|structured",
    zh: "表格|结构化|格式为|格式化",
    ja: "表形式|テーブル|構造化|スキーマ|フォーマット",
    ko: "표로|테이블|구조화|스키마|형식으로",
    ru: "таблица|таблицу|таблице|структурированный|схема|в формате",
    de: "tabelle|strukturiert|formatiere als|im format",
    es: "tabla|estructurado|esquema|en formato|formatea como",
    fr: "tableau|structuré|schéma|au format|formate en",
    pt: "tabela|estruturado|no formato|formate como",
  },
  reference: {
    en: "above|below|previous|following|the docs|the api|the code|earlier|attached",
    zh: "上面|上述|下面|之前|以下|文档|附件|前面",
    ja: "上記|以下|前の|次の|ドキュメント|添付",
    ko: "위의|아래|이전|다음|문서|첨부",
    ru: "выше|ниже|предыдущий|следующий|документация|документации|приложенный|ранее",
    de: "oben|unten|vorherige|folgende|dokumentation|angehängt|vorhin",
    es: "arriba|abajo|anterior|siguiente|la documentación|adjunto",
    fr: "ci-dessus|ci-dessous|précédent|suivant|la documentation|joint|plus tôt",
    pt: "acima|abaixo|seguinte|a documentação|anexo",
  },
  negation: {
    en: "don't|do not|avoid|never|without|except|exclude|no longer",
    zh: "不要|避免|从不|没有|除了|排除|不再",
    ja: "しないで|避けて|決して|なしで|除いて|除外",
    ko: "하지 마|피하|절대|없이|제외",
    ru: "не надо|не делай|избегай|никогда|без|кроме|исключи|больше не",
    de: "nicht|vermeide|niemals|ohne|außer|ausschließen",
    es: "no hagas|evita|nunca|excepto|excluye|ya no",
    fr: "ne pas|évite|jamais|sauf|exclure",
    pt: "não faça|evite|nunca|sem|exceto|exclua",
  },
  domain: {
    en: "quantum|fpga|vlsi|risc-v|asic|photonics|genomics|proteomics|topological|homomorphic|zero-knowledge|lattice-based",
    zh: "量子|光子学|基因组学|蛋白质组学|拓扑|同态加密|零知识|格密码",
    ja: "量子|光子|ゲノミクス|プロテオミクス|トポロジー|準同型|ゼロ知識|格子暗号",
    ko: "양자|광자학|유전체학|단백체학|위상수학|동형|영지식|격자 기반",
    ru: "квантовый|квантовая|квантовые|фотоника|геномика|протеомика|топологический|гомоморфный",
    de: "quanten|quantencomputer|photonik|genomik|proteomik|topologisch|homomorph",
    es: "cuántico|cuántica|fotónica|genómica|proteómica|topológico|homomórfico|conocimiento cero",
    fr: "quantique|photonique|génomique|protéomique|topologique|homomorphe",
    pt: "quântico|quântica|fotônica|genômica|proteômica|homomórfico|conhecimento zero",
  },
  agentic: {
    en: "read file|read the file|look at|check the|open the|edit|modify|update the|change the|write to|create file|execute|deploy|install|npm|pip|compile|after that|and also|once done|step 1|step 2|fix|debug|until it works|keep trying|iterate|make sure|verify|confirm",
    zh: "读取文件|查看|打开|编辑|修改|更新|写入|创建文件|执行|部署|安装|编译|之后|完成后|第一步|第二步|修复|调试|直到|确保|验证|确认",
    ja: "ファイルを読|確認して|開いて|編集|修正|更新|書き込|実行|デプロイ|インストール|コンパイル|その後|完了したら|デバッグ|検証",
    ko: "파일을 읽|확인|열어|편집|수정|업데이트|실행|배포|설치|컴파일|그 다음|디버그|검증",
    ru: "прочитай файл|открой|отредактируй|измени|обнови|запиши|выполни|запусти|установи|скомпилируй|после этого|исправь|отладь|убедись|проверь",
    de: "lies die datei|öffne|bearbeite|ändere|aktualisiere|schreibe in|führe aus|installiere|kompiliere|danach|behebe|debugge|stelle sicher|überprüfe",
    es: "lee el archivo|abre|edita|modifica|actualiza|escribe en|ejecuta|instala|compila|después de eso|arregla|corrige|depura|asegúrate|verifica",
    fr: "lis le fichier|ouvre|édite|modifie|mets à jour|écris dans|exécute|installe|ensuite|débogue|assure-toi|vérifie",
    pt: "leia o arquivo|abra|edite|modifique|atualize|escreva em|instale|depois disso|corrija|depure|certifique-se|verifique",
  },
};
